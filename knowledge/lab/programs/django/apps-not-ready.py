"""A model module imported before Django loaded its apps (a standalone script, a worker)."""
import os
import sys

import labkit

MODELS = '''
from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
'''


def write_app():
    os.makedirs("articles", exist_ok=True)
    open("articles/__init__.py", "w").close()
    with open("articles/models.py", "w") as f:
        f.write(MODELS)
    with open("mysite_settings.py", "w") as f:
        f.write("SECRET_KEY = 'lab'\nINSTALLED_APPS = ['articles']\n"
                "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n")
    sys.path.insert(0, os.getcwd())
    os.environ["DJANGO_SETTINGS_MODULE"] = "mysite_settings"


def script_imports_models(fix):
    write_app()
    if fix is None:
        from articles.models import Article  # noqa: F401  before django.setup()
    elif fix == "django-setup-first":
        import django

        django.setup()
        from articles.models import Article  # noqa: F401
        assert Article._meta.app_label == "articles"
    else:
        raise labkit.UnknownFix(fix)


def get_user_model_early(fix):
    write_app()
    if fix is None:
        from django.contrib.auth import get_user_model

        get_user_model()
    elif fix == "django-setup-first":
        import django

        with open("mysite_settings.py", "a") as f:
            f.write("INSTALLED_APPS += ['django.contrib.contenttypes', 'django.contrib.auth']\n")
        django.setup()
        from django.contrib.auth import get_user_model

        assert get_user_model().__name__ == "User"
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"script-imports-models": script_imports_models, "get-user-model-early": get_user_model_early})
