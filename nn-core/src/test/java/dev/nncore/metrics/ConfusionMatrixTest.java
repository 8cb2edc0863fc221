package dev.nncore.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void scikitLearnDocstringCase() {
        // sklearn.metrics.confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]) = [[2,0,0],[0,0,1],[1,0,2]]
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {2, 0, 2, 2, 0, 1}, new int[] {0, 0, 2, 2, 0, 2}, 3);
        assertThat(cm.counts()).isEqualTo(new long[][] {{2, 0, 0}, {0, 0, 1}, {1, 0, 2}});
        assertThat(cm.accuracy()).isEqualTo(4.0 / 6);
        assertThat(cm.precision(1)).isEqualTo(0.0);         // never predicted: zero_division's 0
        assertThat(cm.recall(2)).isEqualTo(2.0 / 3);
        assertThat(cm.f1(0)).isEqualTo(2.0 * 2 / (3 + 2));
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0}, new int[] {3}, 3))
                .hasMessage("sample 0 has true class 0 and predicted class 3; both must be from 0 to 2");
    }

    @Test
    void reportOfTheJavadocExample() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2)
                .withClassNames(List.of("cat", "dog"));
        String report = ClassificationReport.of(cm).toString();
        assertThat(report).isEqualTo("""
                              precision    recall  f1-score   support

                         cat       1.00      0.50      0.67         2
                         dog       0.67      1.00      0.80         2

                    accuracy                           0.75         4
                   macro avg       0.83      0.75      0.73         4
                weighted avg       0.83      0.75      0.73         4
                """);
    }

    @Test
    void reportRoundsHalfToEvenAsPython() {
        // precision 1/8 = 0.125 exactly: Python's format gives 0.12, not 0.13
        int[] truth = {0, 1, 1, 1, 1, 1, 1, 1};
        int[] predicted = {0, 0, 0, 0, 0, 0, 0, 0};
        String report = ClassificationReport.of(ConfusionMatrix.of(truth, predicted, 2)).toString();
        assertThat(report).contains("           0       0.12      1.00      0.22         1");
    }

    @Test
    void toStringShowsTheCounts() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1}, new int[] {1, 1}, 2).withClassNames(List.of("a", "b"));
        assertThat(cm.toString()).contains("true               a          b").contains("a                  0          1");
    }
}
