FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home speechdraft && mkdir -p /srv/media && chown speechdraft /srv/media
USER speechdraft
EXPOSE 8000
