"""The website: generated pages, structured data, the API, and the mkdocs glue."""
