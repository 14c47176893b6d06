FROM php:8.3-apache-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends git unzip libzip-dev libicu-dev libpq-dev \
    && docker-php-ext-install -j$(nproc) intl pdo_pgsql zip \
    && pecl install redis \
    && docker-php-ext-enable redis \
    && rm -rf /var/lib/apt/lists/*
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
RUN a2enmod rewrite
WORKDIR /var/www/html
COPY . .
RUN composer install --no-dev --optimize-autoloader
RUN chown -R www-data:www-data storage

FROM php:8.3-apache-bookworm
WORKDIR /var/www/html
RUN apt-get update && apt-get install -y --no-install-recommends libzip4 libicu72 libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/lib/php/extensions /usr/local/lib/php/extensions
COPY --from=build /usr/local/etc/php /usr/local/etc/php
COPY --from=build /etc/apache2 /etc/apache2
COPY --from=build /var/www/html /var/www/html
RUN chown -R www-data:www-data /var/www/html/storage
EXPOSE 80
CMD ["apache2-foreground"]
