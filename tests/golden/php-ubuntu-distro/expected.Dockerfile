FROM ubuntu:24.04 AS build
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        php8.3-cli php8.3-mbstring php8.3-xml php8.3-curl composer \
        gcc make autoconf php8.3-dev git unzip ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY . .
RUN composer install --no-dev --optimize-autoloader

FROM ubuntu:24.04
WORKDIR /srv/app
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends php8.3-cli php8.3-mbstring php8.3-xml php8.3-curl ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /srv/app /srv/app
CMD ["php", "bin/worker.php"]
