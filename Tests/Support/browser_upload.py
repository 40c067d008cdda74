#!/usr/bin/env python3
"""Drives headless Chromium (through chromedriver and Selenium) to upload a log through
Loupe's web page, as a user would: open the upload page, choose the file, press Analyse, wait
for the analysis page, read the findings table, filter it by severity, and leave a screenshot.
Prints one JSON object with what the browser saw.
Usage: browser_upload.py BASE_URL LOG_FILE SCREENSHOT.png"""
import json, os, sys
os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager go online
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, log, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800"]:
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(base + "/")
    driver.find_element(By.ID, "file").send_keys(os.path.abspath(log))
    Select(driver.find_element(By.ID, "model")).select_by_value("isolation_forest")
    driver.find_element(By.ID, "run").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "findings-table"))
    url = driver.current_url
    rows = driver.find_elements(By.CSS_SELECTOR, "#findings-table tbody tr")
    messages = [r.find_elements(By.CSS_SELECTOR, "td.message")[0].text for r in rows]
    Select(driver.find_element(By.NAME, "severity")).select_by_value("critical")
    driver.find_element(By.CSS_SELECTOR, "#filter button").click()
    WebDriverWait(driver, 30).until(lambda d: "severity=critical" in d.current_url)
    severities = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#findings-table td .sev")]
    charts = len([i for i in driver.find_elements(By.CSS_SELECTOR, ".charts img")
                  if driver.execute_script("return arguments[0].naturalWidth", i) > 0])
    driver.save_screenshot(screenshot)
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    print(json.dumps({"url": url, "title": driver.title, "rows": len(rows), "messages": messages,
                      "critical_filter": severities, "charts": charts, "errors": errors}))
finally:
    driver.quit()
