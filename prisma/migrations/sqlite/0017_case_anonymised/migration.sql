-- AlterTable
ALTER TABLE "Case" ADD COLUMN "anonymisedAt" DATETIME;

