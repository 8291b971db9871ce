"""Write the schema-1 session fixtures (v1_*.lossdesk) with the first release's own code.

Not a test: run it against the last commit that wrote schema 1, e.g.::

    mkdir /tmp/old && git archive 8d0311a | tar -x -C /tmp/old
    HOME=/tmp/oldhome PYTHONPATH=/tmp/old python tests/data/make_v1_fixtures.py tests/data
"""
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
out = Path(sys.argv[1])
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QCoreApplication
app = QApplication([])
QCoreApplication.setOrganizationName("lossdesk-fixture-maker")
from lossdesk.qt.main_window import MainWindow
from lossdesk.model import parse_csv
import lossdesk.session as old
assert old.SCHEMA_VERSION == 1

def save(window, name):
    window.capture_session().save(out / name)
    print("wrote", name)

# 1. the default window, untouched
w = MainWindow()
save(w, "v1_default.lossdesk")

# 2. the sequence: Add outlier (27 points, outlier 26), then shift it up by 4
w = MainWindow()
s = w.explorer.state
row = s.add_outlier()
assert s.data.n == 27 and row == 26 and s.outlier == 26
s.shift_outlier(4.0)
save(w, "v1_added_outlier.lossdesk")

# 3. many edits on every tab
w = MainWindow()
w.lessons.show_step(3)  # a lesson step sets up the tabs itself: open it first, then edit
ex, s = w.explorer, w.explorer.state
ex.load_preset("linear", 1.25)           # a preset at another noise (kept as a preset)
s.set_loss_param("huber", "delta", 2.5)
ex.set_loss("huber")
s.set_reduction("sum")
ex.descent.set_optimizer("momentum")
ex.descent.set_lr(0.03)
s.set_line(1.2, -0.3)
cl, c = w.classification, w.classification.state
cl.load_preset("three_classes")
cl.set_loss("cce")
cl.descent.set_optimizer("adam")
cl.descent.set_lr(0.05)
c.set_theta([0.1 * i for i in range(c.predictor().n_params)])
w.compare.set_shown(["mae", "quantile"])
w.compare.set_arrow_loss("huber")
lab = w.descent_lab
lab.set_shown(["sgd", "rmsprop", "adam"])
lab.lrs["sgd"].setValue(0.07)
lab.extras["sgd"]["batch_size"].setValue(4)
lab.extras["adam"]["beta2"].setValue(0.995)
lab.schedule.setCurrentIndex(lab.schedule.findData("step"))
lab.schedule_value.setValue(25)
lab.set_start(1.0, 2.0)
w.set_tab("descent")
w.show()  # the lesson panel counts as open only in a shown window
save(w, "v1_every_tab.lossdesk")

# 4. own data from a CSV, a point moved, two-feature classification with a custom θ size
w = MainWindow()
ex, s = w.explorer, w.explorer.state
ex.load_data(parse_csv("x,y\n0,1\n1,2.5\n2,2.9\n3,5.2\n4,30\n", "mine.csv"), "Open mine.csv")
s.move_point(1, 1.0, 2.0)
ex.set_loss("quantile")
s.set_param("tau", 0.8)
s.choose_outlier(4)
cl = w.classification
cl.load_data(parse_csv("x1,x2,label\n0,0,0\n1,1,1\n0.5,2,1\n2,0.1,0\n", "two.csv"), "Open two.csv")
cl.set_loss("hinge")
w.set_tab("classification")
save(w, "v1_own_data.lossdesk")
