"""iris-species.csv: iris.csv (scikit-learn's layout) with a header of column names and the species by name,
the form a user's CSV usually has. Run: python3 make_iris_species.py"""
with open("iris.csv") as f:
    lines = f.read().splitlines()
names = lines[0].split(",")[2:]
with open("iris-species.csv", "w") as out:
    out.write("sepal_length,sepal_width,petal_length,petal_width,species\n")
    for line in lines[1:]:
        *features, label = line.split(",")
        out.write(",".join(features) + "," + names[int(label)] + "\n")
