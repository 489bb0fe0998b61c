-- CreateTable
CREATE TABLE "PlatformToken" (
    "id" TEXT NOT NULL,
    "token" TEXT,
    "refreshAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "leaseId" TEXT,

    CONSTRAINT "PlatformToken_pkey" PRIMARY KEY ("id")
);

