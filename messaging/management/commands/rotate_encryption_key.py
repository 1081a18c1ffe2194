"""Re-encrypt every encrypted column under the newest FIELD_ENCRYPTION_KEY (run after adding a key first)."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from privacyportal.encryption import encrypted_fields, rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field of every model under the newest key in FIELD_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model, field_name in encrypted_fields():
                total += self._rotate(model, model._meta.get_field(field_name))
        self.stdout.write(f"Re-encrypted {total} value(s) in {len(encrypted_fields())} field(s).")

    def _rotate(self, model, field) -> int:
        # Raw SQL: the ORM would hand us decrypted values, and we want to re-wrap the stored token as it is.
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
            rows = cursor.fetchall()
            for row_pk, token in rows:
                try:
                    new = rotate(token)
                except InvalidToken:
                    raise CommandError(
                        f"{model._meta.label}.{field.name} row {row_pk} cannot be decrypted with any key in "
                        "FIELD_ENCRYPTION_KEY; nothing was changed."
                    ) from None
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new, row_pk])  # noqa: S608
                count += 1
        return count
