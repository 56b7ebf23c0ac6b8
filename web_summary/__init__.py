"""web_summary."""
