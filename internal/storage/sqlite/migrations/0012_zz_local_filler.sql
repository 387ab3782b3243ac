-- local filler: another branch owns this number
SELECT 1;
