"""Opens an HTML page (a report, the HTML part of a message) in headless Chromium, offline,
and prints what a reader would see as JSON: the title, the size of each chart (svg element), the text of the page, the
console's messages, any request the page made, whether a script ran, and how wide the
page is in a phone's window. With a second
argument it also saves a screenshot there: of the whole page, or of its first HEIGHT pixels.

    /usr/bin/python3 Tests/support/render_report.py REPORT.html [SCREENSHOT.png [HEIGHT]]
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

report = pathlib.Path(sys.argv[1]).resolve()
options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,900"):
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    # Offline: any request beyond the file itself would fail and show in the log.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.get(report.as_uri())
    charts = [
        {"width": rect["width"], "height": rect["height"], "title": title}
        for rect, title in driver.execute_script(
            "return Array.from(document.querySelectorAll('svg')).map(s => "
            "[s.getBoundingClientRect().toJSON(), (s.querySelector('title') || {}).textContent || '']);")
    ]
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    result = {
        "title": driver.title,
        "charts": charts,
        "text": driver.execute_script("return document.body.innerText;"),
        "bold": len(driver.find_elements("css selector", "td b")),
        "scripts": len(driver.find_elements("css selector", "script")),
        "console": [{"level": e["level"], "message": e["message"]} for e in driver.get_log("browser")],
        "requests": [url for url in requests if url != report.as_uri()],
    }
    # On a phone's width, the page itself should not scroll sideways.
    driver.set_window_size(375, 812)
    result["narrow"] = driver.execute_script(
        "return {scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth};")
    if len(sys.argv) > 2:
        height = driver.execute_script("return document.documentElement.scrollHeight;")
        limit = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
        driver.set_window_size(1100, min(height + 40, limit))
        driver.save_screenshot(sys.argv[2])
    print(json.dumps(result))
finally:
    driver.quit()
