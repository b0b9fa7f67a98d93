"""The Django ORM called from a coroutine (async view, consumer, asyncio.run script)."""
import asyncio

import labkit


def setup():
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
        USE_TZ=True,
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connections

    connections.close_all()  # the async code must open its own connection


def orm_in_coroutine(fix):
    setup()
    from django.contrib.auth.models import User

    async def active_users_view():
        if fix is None:
            return User.objects.filter(is_active=True).count()
        if fix == "sync-to-async":
            from asgiref.sync import sync_to_async

            return await sync_to_async(User.objects.filter(is_active=True).count)()
        if fix == "async-orm":
            return await User.objects.filter(is_active=True).acount()  # Django 4.1+
        raise labkit.UnknownFix(fix)

    async def main():
        count = await active_users_view()
        assert count == 0, count

    return main()


def lazy_relation(fix):
    # A foreign key loaded lazily in async code: the attribute access runs a query.
    setup()
    from asgiref.sync import sync_to_async
    from django.contrib.auth.models import Permission

    async def main():
        if fix is None:
            perm = await sync_to_async(Permission.objects.order_by("id").first)()
            label = perm.content_type.app_label           # lazy FK load inside the coroutine
        elif fix == "sync-to-async":
            def load():
                return Permission.objects.select_related("content_type").order_by("id").first()
            perm = await sync_to_async(load)()
            label = perm.content_type.app_label           # already loaded, no query
        else:
            raise labkit.UnknownFix(fix)
        assert label, label

    return main()


labkit.run({"orm-in-coroutine": orm_in_coroutine, "lazy-relation": lazy_relation})
