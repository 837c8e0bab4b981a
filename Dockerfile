# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY itpulse ./itpulse
COPY surveys ./surveys
COPY scoring ./scoring
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings but no database or secret of its own.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0
RUN useradd --system --uid 1000 itpulse && mkdir -p /app/var && chown itpulse /app/var
USER itpulse
EXPOSE 8000
CMD ["gunicorn", "-c", "python:itpulse.gunicorn", "itpulse.wsgi"]
