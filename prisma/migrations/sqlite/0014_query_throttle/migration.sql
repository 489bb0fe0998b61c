-- CreateTable
CREATE TABLE "QueryThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL,
    "strikes" INTEGER NOT NULL DEFAULT 0,
    "blockedUntil" DATETIME
);

