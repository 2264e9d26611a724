"""Server-rendered dashboard pages (Jinja2 templates and CSS shipped in the package; nothing from the internet)."""
