-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CaseSearchState" (
    "caseId" TEXT NOT NULL PRIMARY KEY,
    "indexedAt" DATETIME NOT NULL,
    "keyTag" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_CaseSearchState" ("caseId", "indexedAt") SELECT "caseId", "indexedAt" FROM "CaseSearchState";
DROP TABLE "CaseSearchState";
ALTER TABLE "new_CaseSearchState" RENAME TO "CaseSearchState";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

