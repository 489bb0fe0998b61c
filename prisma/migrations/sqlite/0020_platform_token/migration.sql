-- CreateTable
CREATE TABLE "PlatformToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "token" TEXT,
    "refreshAt" DATETIME,
    "leaseUntil" DATETIME,
    "leaseId" TEXT
);

