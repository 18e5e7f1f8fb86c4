#!/usr/bin/env python3
"""The workshop page in a real browser: Debian's headless Chromium driven by Selenium.

Usage: workshop_test.py CRMCASE SCENARIO WORKDIR [--changes N]

Starts `crmcase workshop SCENARIO --port 0` in WORKDIR (a copy of the scenario there: the
variant and the report are written beside it), then in the page: changes an input and checks
that the verdict, the NPV chart and the history change; turns a risk off; types a bad value and
checks that the sentence beside the control is the one `crmcase validate` prints; sends three
changes at once and checks that the last one wins; uses a second tab; saves a variant and checks
it with `crmcase validate` and `crmcase compare` (whose ΔNPV must be the page's, to the cent);
writes the report. Then it measures the time from a change to the redrawn page (20 changes at
20,000 and at 100,000 trials) and prints the medians: a benchmark figure, not an assertion.

Exits 0 when every check passes; prints what failed otherwise.
"""
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def main():
    crmcase, scenario, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
    changes = int(sys.argv[sys.argv.index("--changes") + 1]) if "--changes" in sys.argv else 20
    os.makedirs(workdir, exist_ok=True)
    local = os.path.join(workdir, os.path.basename(scenario))
    shutil.copy(scenario, local)
    name = os.path.basename(scenario)
    # Its levers file, which the page offers as variants to start from.
    levers = scenario.replace(".yaml", "-levers.variants.yaml")
    if os.path.exists(levers):
        shutil.copy(levers, workdir)

    server = subprocess.Popen([crmcase, "workshop", name, "--port", "0", "--trials", "20000"], cwd=workdir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        deadline = time.time() + 120
        while time.time() < deadline and address is None:
            line = server.stdout.readline()
            if not line:
                break
            match = re.search(r"open (http://\S+) in a browser", line)
            if match:
                address = match.group(1)
        check(address is not None and address.startswith("http://127.0.0.1:"), "the server prints a 127.0.0.1 address")
        if address is None:
            print(server.stderr.read())
            return
        options = webdriver.ChromeOptions()
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800", "--disable-dev-shm-usage"]:
            options.add_argument(arg)
        options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            run_page(driver, address, crmcase, workdir, name, changes)
        finally:
            driver.quit()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    check(server.returncode is not None, "the server stops on SIGTERM")


def wait_shown(driver, sequence, timeout=120):
    WebDriverWait(driver, timeout).until(lambda d: int(d.execute_script("return document.body.dataset.shown || '0'")) >= sequence)


def control(driver, path):
    return driver.find_element(By.CSS_SELECTOR, '.control[data-path="%s"]' % path)


def set_input(driver, path, value):
    """Types `value` into the control of `path` and fires its change, as a user leaving the field;
    returns the request number the page will show when its answer is in."""
    field = control(driver, path).find_element(By.CSS_SELECTOR, "input.value")
    before = sequence_after(driver)
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", field, value)
    return before + 1


def choose(driver, select_element, value):
    """Picks `value` in a select; returns the request number its answer will have."""
    before = sequence_after(driver)
    Select(select_element).select_by_value(value)
    return before + 1


def sequence_after(driver):
    return int(driver.execute_script("return document.body.dataset.shown"))


def run_page(driver, address, crmcase, workdir, name, changes):
    driver.get(address)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.ready") == "1")
    verdict0 = driver.find_element(By.CSS_SELECTOR, "#report-view p").text
    chart0 = driver.find_element(By.CSS_SELECTOR, "#report-view svg").get_attribute("outerHTML")
    check(verdict0.startswith("Verdict."), "the page opens with the baseline's verdict")
    check(driver.find_element(By.ID, "delta-npv").text == "no change", "the baseline's Δ NPV is zero")
    inputs = driver.find_elements(By.CSS_SELECTOR, ".control input.value")
    risks = driver.find_elements(By.CSS_SELECTOR, ".control select.risk")
    check(len(inputs) >= 3 and len(risks) >= 1, "controls for the inputs that matter most and a switch per risk")
    paths = [e.find_element(By.XPATH, "..").get_attribute("data-path") for e in inputs]
    check("adoption.ceiling" in paths, "adoption.ceiling is among the controls")

    # A change: the verdict, the chart, the Δ and the history move.
    wait_shown(driver, set_input(driver, "adoption.ceiling", "60%"))
    last = driver.execute_script("return window.crmcaseLast")
    check(last["status"] == "ok", "the change is simulated")
    verdict1 = driver.find_element(By.CSS_SELECTOR, "#report-view p").text
    chart1 = driver.find_element(By.CSS_SELECTOR, "#report-view svg").get_attribute("outerHTML")
    check(verdict1 != verdict0, "the verdict changes")
    check(chart1 != chart0, "the NPV chart changes")
    check(re.match(r"\w+ −[0-9.,]+( million)? \(± [0-9,]+, 95 %\)$", driver.find_element(By.ID, "delta-npv").text) is not None,
          "Δ NPV of a lower adoption is negative, with its error: " + driver.find_element(By.ID, "delta-npv").text)
    check(len(driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")) >= 2, "the history keeps what was tried")
    check(control(driver, "adoption.ceiling").find_element(By.CSS_SELECTOR, "input").get_attribute("class").find("changed") >= 0,
          "the changed control is marked")
    delta_page = last["result"]["deltaNPV"]

    # A risk switch.
    risk = control(driver, risks[0].find_element(By.XPATH, "../..").get_attribute("data-path"))
    before = driver.find_element(By.ID, "loss").text
    wait_shown(driver, choose(driver, risk.find_element(By.CSS_SELECTOR, "select"), "off"))
    check(driver.find_element(By.ID, "loss").text != before, "turning a risk off changes the chance of a loss")
    wait_shown(driver, choose(driver, risk.find_element(By.CSS_SELECTOR, "select"), "scenario"))

    # A lever from the variants file beside the scenario: the page's Δ is compare's.
    variant = driver.find_elements(By.ID, "variant")
    check(len(variant) == 1, "the levers file beside the scenario is offered")
    if variant:
        labels = [o.text for o in Select(variant[0]).options]
        training = [k for k, label in enumerate(labels) if label.startswith("Training only")]
        check(len(training) == 1, "its “Training only” lever is a choice: %s" % labels)
        if training:
            # Back to the scenario as written first (the earlier change is still in its field).
            before = sequence_after(driver)
            driver.find_element(By.ID, "reset").click()
            wait_shown(driver, before + 1)
            check(driver.find_element(By.ID, "delta-npv").text == "no change", "“Back to the scenario” undoes every change")
            wait_shown(driver, choose(driver, variant[0], str(training[0] - 1)))
            delta_lever = driver.execute_script("return window.crmcaseLast.result.deltaNPV")
            levers_file = os.path.basename(name.replace(".yaml", "-levers.variants.yaml"))
            out = os.path.join(workdir, "levers-compare")
            compare = subprocess.run([crmcase, "compare", levers_file, "--trials", "20000", "--out", out, "--quiet"],
                                     cwd=workdir, capture_output=True, text=True)
            delta_compare = None
            with open(os.path.join(out, "compare.csv"), newline="", encoding="utf-8-sig") as f:
                for row in csv.DictReader(f):
                    if (row["option"], row["metric"], row["statistic"]) == ("Training only", "delta_npv", "mean"):
                        delta_compare = float(row["value"])
            check(delta_compare is not None and abs(delta_compare - delta_lever) < 0.01,
                  "the lever's Δ NPV (%s) is compare's (%s)" % (delta_lever, delta_compare))
            wait_shown(driver, choose(driver, variant[0], ""))

    # A bad value: the sentence crmcase validate gives, beside the control.
    wait_shown(driver, set_input(driver, "adoption.ceiling", "150%"))
    shown = control(driver, "adoption.ceiling").find_element(By.CSS_SELECTOR, ".field-problem").text
    validate = subprocess.run([crmcase, "validate", name, "--set", "adoption.ceiling=150%"], cwd=workdir,
                              capture_output=True, text=True)
    check(validate.returncode == 1 and shown and shown in validate.stderr + validate.stdout,
          "a bad value shows validate's sentence beside its control: %r" % shown)
    wait_shown(driver, set_input(driver, "adoption.ceiling", "60%"))
    check(control(driver, "adoption.ceiling").find_element(By.CSS_SELECTOR, ".field-problem").text == "",
          "the problem goes when the value is fixed")

    # Three changes at once: the last one is what the page shows.
    start = sequence_after(driver)
    for value in ["55%", "57%", "59%"]:
        field = control(driver, "adoption.ceiling").find_element(By.CSS_SELECTOR, "input.value")
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", field, value)
    wait_shown(driver, start + 3)
    last = driver.execute_script("return window.crmcaseLast")
    check(last["result"]["changes"] == ["adoption.ceiling = 59%"], "after three quick changes the last one is shown")

    # A second tab works beside the first.
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(address)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.ready") == "1")
    wait_shown(driver, set_input(driver, "adoption.ceiling", "75%"))
    check(driver.execute_script("return window.crmcaseLast.status") == "ok", "a second tab gets its own answers")
    driver.close()
    driver.switch_to.window(first)

    # Requests that did not come from the page: other paths, a form post, another site's name.
    import http.client
    from urllib.parse import urlparse
    url = urlparse(address)
    def request(method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        connection.request(method, path, body=body, headers=headers or {})
        status = connection.getresponse().status
        connection.close()
        return status
    check(request("GET", "/etc/passwd") == 404 and request("GET", "/../../etc/passwd") == 404
          and request("GET", "/api/simulate") in (404, 405), "nothing but the page and its endpoints is served")
    check(request("POST", "/api/save-variant", '{"tab":"x","sequence":1,"trials":20000,"values":{},"risks":{},"name":"x"}',
                  {"Content-Type": "text/plain"}) == 415, "a post that is not JSON (another site's form) is refused")
    check(request("GET", "/", headers={"Host": "evil.example:80"}) == 403, "a request for another host name is refused")
    check(request("POST", "/api/simulate", "not json", {"Content-Type": "application/json"}) == 400,
          "a malformed request is a 400, and the server goes on")

    # Type a value and click Save at once: the change is simulated and shown, and saved.
    field = control(driver, "adoption.ceiling").find_element(By.CSS_SELECTOR, "input.value")
    before = sequence_after(driver)
    driver.execute_script("arguments[0].value = '62%'; arguments[0].dispatchEvent(new Event('change'));", field)
    driver.find_element(By.ID, "variant-name").send_keys("Typed then saved")
    driver.find_element(By.ID, "save").click()
    wait_shown(driver, before + 1)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.fileStatus"))
    check(driver.execute_script("return window.crmcaseLast.result.changes") == ["adoption.ceiling = 62%"]
          and "busy" not in driver.find_element(By.TAG_NAME, "body").get_attribute("class"),
          "a change followed at once by Save is still shown")
    driver.find_element(By.ID, "variant-name").clear()
    driver.execute_script("document.body.dataset.fileStatus = ''")

    # Save as variant, then validate and compare it.
    wait_shown(driver, set_input(driver, "adoption.ceiling", "60%"))
    delta_page = driver.execute_script("return window.crmcaseLast.result.deltaNPV")
    driver.find_element(By.ID, "variant-name").send_keys("Only 60 % adopt")
    driver.find_element(By.ID, "save").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.fileStatus"))
    check(driver.execute_script("return document.body.dataset.fileStatus") == "ok",
          "the variant is saved: " + driver.find_element(By.ID, "file-message").text)
    variants = os.path.join(workdir, name.replace(".yaml", ".workshop.variants.yaml"))
    check(os.path.exists(variants), "the variants file is beside the scenario")
    validate = subprocess.run([crmcase, "validate", variants], cwd=workdir, capture_output=True, text=True)
    check(validate.returncode == 0, "crmcase validate accepts the saved variants file: " + validate.stdout + validate.stderr)
    driver.execute_script("document.body.dataset.fileStatus = ''")
    driver.find_element(By.ID, "save").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.fileStatus"))
    check(driver.execute_script("return document.body.dataset.fileStatus") == "refused"
          and "already saved" in driver.find_element(By.ID, "file-message").text, "the same name is not saved twice")
    out = os.path.join(workdir, "compare-out")
    compare = subprocess.run([crmcase, "compare", variants, "--trials", "20000", "--out", out, "--quiet"], cwd=workdir,
                             capture_output=True, text=True)
    check(compare.returncode == 0, "crmcase compare runs the saved variant: " + compare.stderr)
    if compare.returncode == 0:
        with open(os.path.join(out, "compare.csv"), newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        delta_compare = None
        for row in rows:
            if (row.get("option"), row.get("metric"), row.get("statistic")) == ("Only 60 % adopt", "delta_npv", "mean"):
                delta_compare = float(row["value"])
        check(delta_compare is not None and abs(delta_compare - delta_page) < 0.01,
              "compare's Δ NPV (%s) is the page's (%s)" % (delta_compare, delta_page))

    # Write report.
    driver.execute_script("document.body.dataset.fileStatus = ''")
    driver.find_element(By.ID, "report").click()
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.body.dataset.fileStatus"))
    message = driver.find_element(By.ID, "file-message").text
    check(driver.execute_script("return document.body.dataset.fileStatus") == "ok" and "report.html" in message,
          "the report is written: " + message)
    folder = re.search(r"Wrote (\S+)/report\.html", message)
    check(folder is not None and os.path.exists(os.path.join(workdir, folder.group(1), "report.html")),
          "the report folder holds report.html")

    # Latency: a change to the redrawn page, `changes` times per trial count.
    for trials in [20000, 100000]:
        element = driver.find_element(By.ID, "trials")
        if Select(element).first_selected_option.get_attribute("value") != str(trials):
            wait_shown(driver, choose(driver, element, str(trials)), timeout=300)
        times, server = [], []
        for k in range(changes):
            wait_shown(driver, set_input(driver, "adoption.ceiling", "%d%%" % (55 + k % 20)), timeout=300)
            times.append(driver.execute_script("return window.crmcaseLatencies[window.crmcaseLatencies.length - 1]") / 1000)
            server.append(driver.execute_script("return window.crmcaseLast.serverMilliseconds") / 1000)
        print("workshop latency: %d trials, %d changes: median %.3f s (min %.3f, max %.3f); of it in the server: median %.3f s"
              % (trials, changes, statistics.median(times), min(times), max(times), statistics.median(server)), flush=True)
    driver.save_screenshot(os.path.join(workdir, "workshop.png"))


if __name__ == "__main__":
    main()
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("all checks passed")
