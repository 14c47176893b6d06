FROM php:8.2-fpm-alpine AS build
RUN apk add --no-cache git unzip icu-dev libzip-dev \
    && docker-php-ext-install intl zip opcache
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist
COPY . .
RUN composer dump-autoload --optimize --no-dev

FROM php:8.2-fpm-alpine
WORKDIR /var/www/html
RUN apk add --no-cache icu-libs libzip
COPY --from=build /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=build /usr/local/etc/php /usr/local/etc/php
COPY --from=build /var/www/html /var/www/html
EXPOSE 9000
