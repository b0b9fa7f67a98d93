"""Django settings read before DJANGO_SETTINGS_MODULE is set or settings.configure() is called."""
import os
import sys

import labkit


def write_settings():
    with open("mysite_settings.py", "w") as f:
        f.write("SECRET_KEY = 'lab'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth']\n"
                "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n")
    sys.path.insert(0, os.getcwd())


def standalone_script(fix):
    write_settings()
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    if fix is None:
        from django.contrib.auth.models import User  # noqa: F401
    elif fix == "set-settings-module":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite_settings")
        import django

        django.setup()
        from django.contrib.auth.models import User  # noqa: F401
    elif fix == "settings-configure":
        import django
        from django.conf import settings

        settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
                           DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
        django.setup()
        from django.contrib.auth.models import User  # noqa: F401
    else:
        raise labkit.UnknownFix(fix)


def library_reads_setting(fix):
    write_settings()
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    from django.conf import settings

    if fix == "set-settings-module":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite_settings")
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    assert settings.DEBUG is False


labkit.run({"standalone-script": standalone_script, "library-reads-setting": library_reads_setting})
