-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "liveAgent" TEXT,
ADD COLUMN     "liveChannel" TEXT,
ADD COLUMN     "liveTs" TEXT;

