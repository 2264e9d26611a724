"""What the two HTTP doors (the JSON API and the dashboard pages) share: the request's unit of work and user, the
CSRF token, paging, the error shape, the security headers and the body limit. It imports neither door."""
