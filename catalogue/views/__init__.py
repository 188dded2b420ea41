"""HTTP views: thin layers that parse a request, call the service, and render JSON or HTML."""
