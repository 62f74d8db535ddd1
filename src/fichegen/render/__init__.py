"""Stage 4, render: views of the graph per language, laid out by the theme's Jinja templates."""
