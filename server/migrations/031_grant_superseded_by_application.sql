-- 从高不重复 across modes: an approved application higher than an auto grant of its stacking
-- group supersedes that grant (before it reaches a payout batch); the grant points at it.
-- See docs/decisions/0016-stacking-across-modes-and-grant-throughput.md.
ALTER TABLE grants ADD COLUMN superseded_by_application bigint REFERENCES applications (id);
-- The item's own figure of an approved application when it pays less (the difference above a
-- grant of its group already batched or paid); NULL when it pays the whole of it.
ALTER TABLE applications ADD COLUMN item_amount numeric(16, 2);
