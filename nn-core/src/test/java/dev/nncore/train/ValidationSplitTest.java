package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.data.CsvReader;
import dev.nncore.data.Dataset;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code validationSplit(fraction, rows)} on iris, whose rows are sorted by class (50 setosa, 50 versicolor, 50
 * virginica). A network that always says "setosa" (zero kernel, bias favouring class 0) and does not learn (a
 * 1e-30 learning rate is below float32 resolution for its weights) has a validation accuracy equal to the share of
 * setosa among the held-out rows.
 */
class ValidationSplitTest {

    private static Dataset iris() throws Exception {
        try {
            Path file = Path.of(ValidationSplitTest.class.getResource("/data/iris-species.csv").toURI());
            return CsvReader.builder().label("species").build().read(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double setosaShare(Dataset iris, ValidationSplit rows) {
        Network alwaysSetosa = Network.of(Dense.of(new float[4][3], new float[] {5, 0, 0}, Activation.SOFTMAX));
        TrainingRun[] seen = new TrainingRun[1];
        History history = BackpropTrainer.builder()
                .loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.sgd(1e-30))
                .validationSplit(0.2, rows).seed(5)
                .listener(new TrainingListener() {
                    @Override
                    public void onTrainBegin(TrainingRun run) {
                        seen[0] = run;
                    }
                })
                .build()
                .fit(alwaysSetosa, iris.features(), iris.targets()).history();
        assertThat(seen[0].validationSamples()).isEqualTo(30);
        return history.validationAccuracy().get(0);
    }

    @Test
    void stratifiedHoldsOutEveryClassWhereKerassLastRowsHoldOutOne() throws Exception {
        Dataset iris = iris();
        assertThat(setosaShare(iris, ValidationSplit.LAST)).isEqualTo(0.0);          // 30 virginica
        assertThat(setosaShare(iris, ValidationSplit.STRATIFIED)).isEqualTo(10 / 30.0);
        assertThat(setosaShare(iris, ValidationSplit.SHUFFLED)).isBetween(0.0, 1.0).isNotEqualTo(0.0);
    }

    @Test
    void javadocExample() {
        var builder =
        BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).validationSplit(0.2, ValidationSplit.STRATIFIED)
        ;
        assertThat(builder.build()).isNotNull();
    }
}
