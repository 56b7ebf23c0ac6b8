"""The Telegram channel: python-telegram-bot and aiogram adapters over the one engine of `dialogs/`.

`runtime.build_runtime` picks the library; `bridge` holds what both share (order per chat, callback
answers, edits, flood control); `render` turns replies into messages; `delivery` serves the outbox.
"""
