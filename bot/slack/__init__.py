"""The Slack edge: configuration, the Bolt app, its listeners and the HTTP server."""
