-- CreateTable
CREATE TABLE "CaseAccessToken" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

