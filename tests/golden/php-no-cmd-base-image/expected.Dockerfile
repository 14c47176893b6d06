FROM php:8.3-apache
RUN docker-php-ext-install pdo_mysql
COPY --from=composer /usr/bin/composer /usr/bin/composer
COPY . /var/www/html
RUN composer install --no-dev
EXPOSE 80
