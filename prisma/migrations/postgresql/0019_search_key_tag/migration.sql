-- AlterTable
ALTER TABLE "CaseSearchState" ADD COLUMN     "keyTag" TEXT NOT NULL DEFAULT '';

