"""Running the site: health checks for monitoring."""
