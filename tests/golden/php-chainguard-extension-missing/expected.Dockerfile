FROM cgr.dev/chainguard/php:latest-dev AS build
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction --prefer-dist
COPY . .

FROM cgr.dev/chainguard/php:latest
WORKDIR /app
COPY --from=build /app /app
ENTRYPOINT ["php", "/app/bin/console.php"]
