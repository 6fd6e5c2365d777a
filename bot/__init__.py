"""A Slack bot that answers questions about state coordination with CBP and ICE task forces."""
