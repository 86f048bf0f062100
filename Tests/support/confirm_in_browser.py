"""Confirms steps on optoutd's page in a real headless Chromium, as a person would.

    /usr/bin/python3 Tests/support/confirm_in_browser.py URL NOTE VALUE [VALUE ...]

Opens URL, checks that every checkbox has a label, ticks the boxes whose value is one
of VALUEs (ACCOUNT:ACTION), writes NOTE in the note field, presses the button and prints
JSON: the page's language, the labels of the boxes before, the outcome text after, the
boxes still offered, and the steps shown as done.
"""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

url, note, values = sys.argv[1], sys.argv[2], sys.argv[3:]
options = webdriver.ChromeOptions()
# privacy.test stands for a server's name on a company network; it is this machine.
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844",
                 "--host-resolver-rules=MAP privacy.test 127.0.0.1"):
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.set_page_load_timeout(20)
    driver.get(url)
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
    labels = {}
    for box in boxes:
        label = driver.find_elements(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
        labels[box.get_attribute("value")] = label[0].text if label else None
    # The page must fit a phone's width: nothing wider than the window.
    overflow = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    for box in boxes:
        if box.get_attribute("value") in values:
            driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    driver.find_element(By.ID, "note").send_keys(note)
    button = driver.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    # While the answer replaces the page, Chrome may say the old button's node left the
    # document (a WebDriverException) before it says the element is stale: ask again.
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(
        expected_conditions.staleness_of(button))
    outcome = driver.find_elements(By.CSS_SELECTOR, ".outcome")
    print(json.dumps({
        "language": driver.find_element(By.TAG_NAME, "html").get_attribute("lang"),
        "labels": labels,
        "overflow": overflow,
        "outcome": outcome[0].text if outcome else None,
        "body": driver.find_element(By.TAG_NAME, "body").text,
        "remaining": [b.get_attribute("value") for b in driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")],
        "done": [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".is-done .title")],
    }))
finally:
    driver.quit()
