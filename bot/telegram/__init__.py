"""The Telegram channel: python-telegram-bot and aiogram adapters over the one engine of `dialogs/`.

`runtime.build_runtime` picks the library; `bridge` holds what both share (reading updates, order per
chat, callback answers, edits, flood control); `library` makes the Bot API calls through either
library's `Bot`; `render` turns replies into messages; `delivery` serves the outbox.
"""
