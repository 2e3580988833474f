FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# LibreOffice lays the Word file out for 导出PDF (exports/pdf.py), with CJK faces to stand in
# for the GB/T 9704 ones the server does not have.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home speechdraft && mkdir -p /srv/media && chown speechdraft /srv/media
USER speechdraft
EXPOSE 8000
