"""Photographs and documents: checked from their content, stored with a checksum, geotags kept private."""
