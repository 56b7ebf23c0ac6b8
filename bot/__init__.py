"""Channels: the terminal and Telegram, over the one engine of `dialogs/`.

A channel reads its updates into engine events, hands them to a `handler.ChatHandler` (the service,
given by the entry point), and renders the replies; `delivery` and `dispatcher` carry the outbox's
messages to people other than the one talking.
"""
