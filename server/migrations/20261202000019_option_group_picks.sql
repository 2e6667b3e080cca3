-- How many options of a group a guest picks, when not the kind's usual: "choose 2" sides,
-- an optional sauce (0 to 1), "up to 3" toppings. NULL keeps the kind's rule (a choice:
-- exactly one; add-ons: any).
ALTER TABLE option_groups ADD COLUMN min_picks INTEGER CHECK (min_picks IS NULL OR min_picks BETWEEN 0 AND 30);
ALTER TABLE option_groups ADD COLUMN max_picks INTEGER CHECK (max_picks IS NULL OR max_picks BETWEEN 0 AND 30);
