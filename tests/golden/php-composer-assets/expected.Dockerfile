FROM php:8.3-apache-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends git unzip nodejs npm \
    && rm -rf /var/lib/apt/lists/*
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
WORKDIR /var/www/html
COPY . .
RUN composer install --optimize-autoloader
RUN npm ci && npm run build
RUN chown -R www-data:www-data storage bootstrap/cache
RUN rm -rf /var/www/html/node_modules

FROM php:8.3-apache-bookworm
WORKDIR /var/www/html
COPY --from=build /var/www/html /var/www/html
RUN chown -R www-data:www-data /var/www/html/storage /var/www/html/bootstrap/cache
EXPOSE 80
CMD ["apache2-foreground"]
