FROM php:8.3-apache AS build
RUN docker-php-ext-install pdo_mysql
COPY --from=composer /usr/bin/composer /usr/bin/composer
COPY . /var/www/html
RUN composer install --no-dev

FROM php:8.3-apache
COPY --from=build /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=build /usr/local/etc/php /usr/local/etc/php
COPY --from=build /var/www/html /var/www/html
EXPOSE 80
