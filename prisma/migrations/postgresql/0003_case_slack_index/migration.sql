-- CreateIndex
CREATE INDEX "Case_slackChannel_slackTs_idx" ON "Case"("slackChannel", "slackTs");

