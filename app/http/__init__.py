"""The HTTP edge: every layer between the server and the routes, and the server itself."""
