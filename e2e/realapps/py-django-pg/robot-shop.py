"""A one-file Django project on PostgreSQL settings (psycopg2), served by gunicorn. The
database is not reached: the view uses psycopg2's adaptation and Django's SQL compiler."""
import django
import psycopg2
import psycopg2.extensions
from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="not-secret",
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "HOST": "db"}},
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def index(request):
    sql = str(User.objects.filter(username__startswith="robot").only("id").query)
    quoted = psycopg2.extensions.adapt("O'Reilly").getquoted().decode()
    return JsonResponse({"django": django.get_version(), "psycopg2": psycopg2.__version__.split()[0], "libpq": psycopg2.extensions.libpq_version(), "sql": sql, "quoted": quoted})


urlpatterns = [path("", index)]

if __name__ == "__main__":
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", "0.0.0.0:8080")
            self.cfg.set("workers", 1)
            self.cfg.set("accesslog", None)

        def load(self):
            return get_wsgi_application()

    print("serving on 8080", flush=True)
    Server().run()
