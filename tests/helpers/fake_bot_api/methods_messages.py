"""Sending, editing and deleting messages, files and chat actions."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .errors import NOT_MODIFIED, ApiError, bad_request
from .formatting import FormattedText, check_caption, check_text, parse_text
from .keyboards import check_markup
from .media import (
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    check_photo_dimensions,
    guess_mime,
    image_size,
    scaled,
)
from .params import Params, UploadedFile
from .records import FileRecord, StoredMessage

if TYPE_CHECKING:
    from .core import Core

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _markups(p: Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(inline keyboard kept on the message, other reply markup) for a new message."""
    markup = check_markup(p.json("reply_markup"), inline_only=False)
    if markup is not None and "inline_keyboard" in markup:
        return (markup if markup["inline_keyboard"] else None), None
    return None, markup


def _inline(p: Params) -> dict[str, Any] | None:
    markup = check_markup(p.json("reply_markup"), inline_only=True)
    return markup if markup and markup["inline_keyboard"] else None


def _caption(p: Params) -> FormattedText:
    formatted = parse_text(
        p.text("caption") or "", p.text("parse_mode"), p.json("caption_entities")
    )
    check_caption(formatted)
    return formatted


async def send_message(core: Core, p: Params) -> Any:
    chat_id = p.chat_id()
    core.state.chat_for_bot(chat_id)
    source = p.text("text") or ""
    formatted = parse_text(source, p.text("parse_mode"), p.json("entities"))
    check_text(formatted)
    inline, other = _markups(p)
    message = core.state.add_message(
        chat_id,
        from_bot=True,
        kind="text",
        text=formatted.text,
        entities=formatted.entities,
        parse_mode=p.text("parse_mode"),
        source=source,
        reply_markup=inline,
        reply_keyboard=other,
    )
    return core.state.message_json(message)


def _editable(core: Core, p: Params) -> StoredMessage:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # inline-mode messages are not simulated
    chat_id = p.chat_id()
    core.state.chat_for_bot(chat_id)
    message = core.state.message(chat_id, p.message_id())
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _edited(core: Core, message: StoredMessage) -> Any:
    message.edit_count += 1
    message.edit_date = int(time.time())
    return core.state.message_json(message)


async def edit_message_text(core: Core, p: Params) -> Any:
    message = _editable(core, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    source = p.text("text") or ""
    formatted = parse_text(source, p.text("parse_mode"), p.json("entities"))
    check_text(formatted)
    inline = _inline(p)  # no reply_markup = the inline keyboard goes away, as on Telegram
    current = (message.text, message.entities, message.reply_markup)
    if (formatted.text, formatted.entities, inline) == current:
        raise bad_request(NOT_MODIFIED)
    message.text, message.entities, message.reply_markup = (
        formatted.text,
        formatted.entities,
        inline,
    )
    message.parse_mode, message.source = p.text("parse_mode"), source
    return _edited(core, message)


async def edit_message_caption(core: Core, p: Params) -> Any:
    message = _editable(core, p)
    if message.text is not None:
        raise bad_request("there is no caption in the message to edit")
    formatted = _caption(p)
    inline = _inline(p)
    current = (message.caption or "", message.caption_entities, message.reply_markup)
    if (formatted.text, formatted.entities, inline) == current:
        raise bad_request(NOT_MODIFIED)
    message.caption, message.caption_entities = formatted.text, formatted.entities
    message.reply_markup, message.source = inline, p.text("caption")
    return _edited(core, message)


async def edit_message_reply_markup(core: Core, p: Params) -> Any:
    message = _editable(core, p)
    inline = _inline(p)
    if inline == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    message.reply_markup = inline
    return _edited(core, message)


async def delete_message(core: Core, p: Params) -> Any:
    chat_id = p.chat_id()
    core.state.chat_for_bot(chat_id)
    message = core.state.message(chat_id, p.message_id())
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    return True


def _input_file(core: Core, value: Any, *, photo: bool) -> FileRecord:
    noun = "photo" if photo else "document"
    if value is None or value == "":
        raise bad_request(f"there is no {noun} in the request")
    if isinstance(value, UploadedFile):
        return _uploaded(core, value, photo=photo)
    if not isinstance(value, str):
        raise bad_request(f"wrong {noun} specified")
    known = core.state.files.get(value)
    if known is not None:
        return known
    if value.startswith(("http://", "https://")):  # not fetched: a placeholder file
        name = value.rstrip("/").rsplit("/", 1)[-1] or noun
        size = (800, 600) if photo else None
        folder = "photos" if photo else "documents"
        return core.state.add_file(
            b"", folder=folder, file_name=name, mime_type=guess_mime(name, None), size=size
        )
    raise bad_request("wrong file identifier/HTTP URL specified")


def _uploaded(core: Core, upload: UploadedFile, *, photo: bool) -> FileRecord:
    if not upload.data:
        raise bad_request("file must be non-empty")
    if len(upload.data) > MAX_DOCUMENT_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    mime = guess_mime(upload.filename, upload.content_type)
    if not photo:
        return core.state.add_file(
            upload.data, folder="documents", file_name=upload.filename, mime_type=mime
        )
    if len(upload.data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    size = image_size(upload.data)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    if not check_photo_dimensions(*size):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return core.state.add_file(
        upload.data, folder="photos", file_name=upload.filename, mime_type=mime, size=size
    )


def photo_sizes(core: Core, record: FileRecord) -> list[dict[str, Any]]:
    """A thumbnail plus the full size, like Telegram's PhotoSize list (largest last)."""
    width, height = record.width or 1, record.height or 1
    full = {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "width": width,
        "height": height,
        "file_size": record.size,
    }
    if max(width, height) <= 90:
        return [full]
    thumb_width, thumb_height = scaled(width, height, 90)
    thumb_id = f"{record.file_id}_t"
    core.state.files.setdefault(thumb_id, record)
    thumb = {
        "file_id": thumb_id,
        "file_unique_id": f"{record.file_unique_id}t",
        "width": thumb_width,
        "height": thumb_height,
    }
    return [thumb, full]


async def _send_file(core: Core, p: Params, *, photo: bool) -> Any:
    chat_id = p.chat_id()
    core.state.chat_for_bot(chat_id)
    record = _input_file(core, p.values.get("photo" if photo else "document"), photo=photo)
    caption = _caption(p)
    inline, other = _markups(p)
    if photo:
        media: dict[str, Any] = {"photo": photo_sizes(core, record)}
    else:
        media = {
            "document": {
                "file_name": record.file_name,
                "mime_type": record.mime_type,
                "file_id": record.file_id,
                "file_unique_id": record.file_unique_id,
                "file_size": record.size,
            }
        }
    message = core.state.add_message(
        chat_id,
        from_bot=True,
        kind="photo" if photo else "document",
        caption=caption.text or None,
        caption_entities=caption.entities,
        parse_mode=p.text("parse_mode"),
        source=p.text("caption"),
        reply_markup=inline,
        reply_keyboard=other,
        media=media,
        file=record,
    )
    return core.state.message_json(message)


async def send_document(core: Core, p: Params) -> Any:
    return await _send_file(core, p, photo=False)


async def send_photo(core: Core, p: Params) -> Any:
    return await _send_file(core, p, photo=True)


async def send_chat_action(core: Core, p: Params) -> Any:
    chat_id = p.chat_id()
    core.state.chat_for_bot(chat_id)
    if p.text("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def get_file(core: Core, p: Params) -> Any:
    record = core.state.files.get(p.text("file_id") or "")
    if record is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": record.size,
        "file_path": record.file_path,
    }


METHODS: dict[str, Callable[[Core, Params], Awaitable[Any]]] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
