from django.apps import AppConfig
from django.core import checks


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        # A database check: it reads rows, so it runs with `migrate` and `check --database default`,
        # not with every `check` (a deploy check of code and settings stays clean on a fresh database).
        checks.register(check_default_configs, checks.Tags.database)


def check_default_configs(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (never fail) when a channel has no usable default config: subjects on it cannot verify."""
    from django.db import DatabaseError

    if not databases:
        return []
    try:
        from .status import channel_problems

        problems = [p for p in channel_problems() if not p.startswith("The last ")]
    except DatabaseError:
        # Before `migrate` there are no tables yet: nothing to say.
        return []
    return [
        checks.Warning(problem, hint="Configure it in the admin under Messaging.", id="messaging.W001")
        for problem in problems
    ]
