"""What a reminder says, whom it pings, and the marks that make a re-send idempotent.

Two marks per message: the nonce (Discord drops a repeat within a few minutes) and a disabled
button whose custom_id names the delivery part, which a retry looks for in the channel's recent
messages after any delay.

User-written text (the statement) goes only into the embed, which never pings; the content
holds the bot's own words and exactly the mentions the reminder is meant to make.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.vocabulary import ReminderKind
from bot.rendering.command_mentions import mention_commands
from bot.rendering.community import rendering_for
from bot.rendering.custom_ids import RESOLVE_MENU_BUTTON, reminder_marker_id
from bot.rendering.limits import EMBED_TITLE, one_line, truncate
from bot.rendering.links import jump_url
from bot.rendering.mentions import capped_pings
from bot.rendering.timestamps import discord_timestamp as ts
from bot.rendering.words import plural
from bot.services.reminders.service import DueReminder
from bot.services.reminders.values import ReminderSubject

NONCE_MAX = 25

KIND_CODES = {ReminderKind.DUE: "d", ReminderKind.MODERATOR: "m", ReminderKind.CLOSE_WARNING: "w"}


def reminder_nonce(reminder: DueReminder, part: int) -> str:
    """Deterministic per (prediction, kind, sequence, message part), at most 25 characters."""
    code = KIND_CODES[reminder.kind]
    nonce = f"rm{reminder.prediction_id}{code}{reminder.sequence}.{part}"
    if len(nonce) > NONCE_MAX:
        raise ValueError(f"nonce {nonce!r} is longer than Discord's {NONCE_MAX} characters")
    return nonce


@dataclass(frozen=True)
class Outgoing:
    """One message of a reminder (several when the pings do not fit in one)."""

    content: str
    allowed_mentions: discord.AllowedMentions
    nonce: str
    embed: discord.Embed | None = None
    with_view: bool = False
    marker: str = ""  # the custom_id of this part's marker button
    label: str = ""  # the marker button's label


def reminder_marker(reminder: DueReminder, part: int) -> str:
    """The custom_id that identifies one part of one delivery in the channel's history."""
    return reminder_marker_id(reminder.prediction_id, reminder.kind, reminder.sequence, part)


def marker_button(outgoing: Outgoing) -> discord.ui.Button[discord.ui.View]:
    """Disabled: it only carries the marker (nobody can click it, nothing to answer)."""
    return discord.ui.Button(
        label=outgoing.label,
        style=discord.ButtonStyle.secondary,
        custom_id=outgoing.marker,
        disabled=True,
    )


def message_url(reminder: DueReminder | ReminderSubject) -> str | None:
    return jump_url(reminder.guild_id, reminder.channel_id, reminder.message_id)


def headline(reminder: DueReminder, *, dm: bool) -> str:
    """The reminder's text; user-written text (the statement) is kept out of it."""
    r = reminder
    look = rendering_for(r.question_kind)  # the kind says how it is resolved and asked about
    late = f"(late: this was due {ts(r.due_at, 'R')}, I was offline) " if r.late else ""
    number = f"your prediction **#{r.number}**" if dm else f"prediction **#{r.number}**"
    how = (
        "Resolve it with `/resolve` in the server."
        if dm
        else "The author or a moderator can resolve it with the buttons below."
        if look.outcome_buttons
        else "The author or a moderator can resolve it with **Resolve** below."
    )
    # A yes/no question comes true or not; another kind's question has an answer.
    asked = look.reminder_question
    if r.kind == ReminderKind.CLOSE_WARNING:
        text = (
            f"Voting on {number} closes {ts(r.closes_at, 'R')} ({ts(r.closes_at, 'f')}). "
            "Vote, or update your forecast, while you still can."
        )
    elif r.kind == ReminderKind.MODERATOR:
        role = f"<@&{r.moderator_role_id}> " if r.moderator_role_id and not dm else ""
        waited = (
            f"after {plural(r.reminder_count, 'reminder')} "
            f"(resolution date {ts(r.resolves_at, 'R')})"
            if r.reminder_count
            else f"at its resolution date ({ts(r.resolves_at, 'f')})"
        )
        text = f"{role}{number.capitalize()} is still unresolved {waited}. " + (
            "It needs resolving with `/resolve` in the server."
            if dm
            else "Moderators, please resolve it with the buttons below."
            if look.outcome_buttons
            else "Moderators, please resolve it with **Resolve** below."
        )
        if not r.moderator_role_id and not dm:
            text += (
                " No moderator role is set, so nobody was pinged: an admin can set one with "
                "`/augury moderator-role`."
            )
    elif r.ordinal <= 1:
        text = (
            f"{number.capitalize()} has reached its resolution date "
            f"({ts(r.resolves_at, 'f')}). {asked} {how}"
        )
    else:
        text = (
            f"Reminder {r.ordinal} of {r.reminder_count}: {number} is still unresolved "
            f"(resolution date {ts(r.resolves_at, 'R')}). {how}"
        )
        if r.ordinal >= r.reminder_count:
            text += " Next time, the moderators will be asked."
    if dm:
        link = message_url(r)
        text += " I couldn't post this in the prediction's thread or channel, so I'm telling you"
        text += f" here: {link}" if link else " here."
    return f"⏰ {late}{text}"


def reminder_embed(reminder: DueReminder | ReminderSubject) -> discord.Embed:
    """The statement goes here: embeds never ping, whatever the member wrote."""
    when = (
        f"Voting closes {ts(reminder.closes_at, 'F')}"
        if reminder.kind == ReminderKind.CLOSE_WARNING
        else f"Resolution date {ts(reminder.resolves_at, 'F')}"
    )
    return discord.Embed(
        title=truncate(f"#{reminder.number} · {one_line(reminder.statement)}", EMBED_TITLE),
        url=message_url(reminder),
        description=when,
        colour=discord.Colour.gold(),
    )


def allowed(user_ids: tuple[int, ...], role_id: int | None) -> discord.AllowedMentions:
    """Exactly these users and this role; never @everyone, never anyone named in user text."""
    return discord.AllowedMentions(
        everyone=False,
        users=[discord.Object(id=u) for u in user_ids] if user_ids else False,
        roles=[discord.Object(id=role_id)] if role_id else False,
        replied_user=False,
    )


def resolve_menu_button(prediction_id: int) -> discord.ui.Button[discord.ui.View]:
    """A question of another kind than yes/no: the prediction message's own **Resolve**, which
    offers its outcomes privately (multiple choice: its options; a value: a form)."""
    return discord.ui.Button(
        label="Resolve",
        emoji="⚖️",
        style=discord.ButtonStyle.secondary,
        custom_id=RESOLVE_MENU_BUTTON.custom_id(prediction_id),
    )


def compose(reminder: DueReminder, *, dm: bool) -> list[Outgoing]:
    """The message for one target: ONE message, whatever the number of followers (beyond
    the cap it says how many more there are). A DM goes to the author alone: no pings."""
    users = () if dm else reminder.user_pings
    role = (
        reminder.moderator_role_id if reminder.kind == ReminderKind.MODERATOR and not dm else None
    )
    text, ids = capped_pings(mention_commands(headline(reminder, dm=dm)), users)
    return [
        Outgoing(
            content=text,
            allowed_mentions=allowed(ids, role),
            nonce=reminder_nonce(reminder, 0),
            embed=reminder_embed(reminder),
            with_view=not dm and reminder.kind != ReminderKind.CLOSE_WARNING,
            marker=reminder_marker(reminder, 0),
            label=f"⏰ #{reminder.number}",
        )
    ]


def direct_message(reminder: ReminderSubject, user_id: int) -> str:
    """What a member who chose DMs in /notifications receives instead of a mention."""
    r = reminder
    link = message_url(r)
    where = f" {link}" if link else ""
    if r.kind == ReminderKind.CLOSE_WARNING:
        return f"⏰ Voting on prediction #{r.number} closes {ts(r.closes_at, 'R')}.{where}"
    whose = "Your prediction" if user_id == r.author_id else "Prediction"
    return (
        f"⏰ {whose} #{r.number} has reached its resolution date ({ts(r.resolves_at, 'f')}) "
        f"and is unresolved.{where}"
    )
