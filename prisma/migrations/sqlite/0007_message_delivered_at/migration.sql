-- AlterTable
ALTER TABLE "Message" ADD COLUMN "deliveredAt" DATETIME;

