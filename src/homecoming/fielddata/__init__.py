"""Field data from ODK Collect and KoboToolbox: forms, submissions and the review queue (issue 21)."""
