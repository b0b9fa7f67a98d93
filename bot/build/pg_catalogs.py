"""PostgreSQL's own message catalogues, as Debian 12's postgresql-15 installs them: shared by the generators here."""
import gettext
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_catalogs():
    """lang -> {English msgid: the server's wording in that language}."""
    catalogs = {}
    for path in sorted(glob.glob('/usr/share/locale/*/LC_MESSAGES/postgres-15.mo')):
        lang = path.split('/')[4]
        with open(path, 'rb') as f:
            catalogs[lang] = gettext.GNUTranslations(f)._catalog
    return catalogs
