"""Server-rendered pages (Jinja2 + one small stylesheet, no build step)."""
