"""The parts of scripts/curate_demo_data.py, one per file (or group of files) of the demo data set it builds."""
